"""The triggers that keep the summary tables (:mod:`db.models_summaries`) in step with the pages.

Why triggers: every write of a page, its numbers or its brands (the store, clustering, bulk
SQL, tests) changes the counts in the same transaction, so a report never reads stale counts
and a read-only copy needs no job. Each trigger applies the change of one row as a delta (what
the old row counted comes off, what the new one counts goes on), so its cost is that of the
row and its page's few numbers and brands, never of the database. The same SQL runs on SQLite
(3.39+: ``IS DISTINCT FROM``, ``UPDATE ... FROM``) and PostgreSQL (wrapped in plpgsql).

:func:`rebuild` makes every summary again from the pages (migration 0013, bulk loads).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

SPAM = "('hotline_spam', 'seo_spam')"  # pipelines.types.SPAM_VERDICTS


def _spam(row: str) -> str:
    return f"(CASE WHEN {row}.verdict IN {SPAM} THEN 1 ELSE 0 END)"


def _adv(row: str) -> str:
    return f"(CASE WHEN {row}.advertised THEN 1 ELSE 0 END)"


def _upsert(table: str, keys: str, cols: str, select: str) -> str:
    """INSERT ... SELECT that adds its counts to an existing row (SQLite and PostgreSQL)."""
    adds = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in cols.split(", "))
    return (f"INSERT INTO {table} ({keys}, {cols}) {select} "
            f"ON CONFLICT ({keys}) DO UPDATE SET {adds}")


def _domain_verdict(row: str, sign: str) -> list[str]:
    """The page ``row`` (NEW or OLD) counted on (+) or off (-) its domain and verdict."""
    if sign == "+":
        first = f"CASE WHEN {row}.verdict IN {SPAM} THEN {row}.first_run_id END"
        return [
            "INSERT INTO domain_verdicts (domain, verdict, pages, first_run_id) "
            f"SELECT {row}.domain, COALESCE({row}.verdict, ''), 1, {first} WHERE true "
            "ON CONFLICT (domain, verdict) DO UPDATE SET pages = domain_verdicts.pages + 1, "
            "first_run_id = CASE WHEN domain_verdicts.first_run_id IS NULL OR "
            "excluded.first_run_id < domain_verdicts.first_run_id THEN excluded.first_run_id "
            "ELSE domain_verdicts.first_run_id END"]
    where = f"domain = {row}.domain AND verdict = COALESCE({row}.verdict, '')"
    return [f"UPDATE domain_verdicts SET pages = pages - 1 WHERE {where}",
            # A spam page leaving: its domain's first spam run again from the pages left.
            f"UPDATE domain_verdicts SET first_run_id = (SELECT min(p.first_run_id) FROM pages p "
            f"WHERE p.domain = {row}.domain AND p.verdict = {row}.verdict AND p.id <> {row}.id) "
            f"WHERE {where} AND {row}.verdict IN {SPAM}"]


def _cluster(row: str, sign: str) -> list[str]:
    """The page ``row`` counted on or off its cluster: under its verdict and under '*' (all)."""
    out = []
    for verdict in (f"COALESCE({row}.verdict, '')", "'*'"):
        if sign == "+":
            out.append(_upsert("cluster_verdicts", "cluster, verdict", "pages",
                               f"SELECT {row}.cluster, {verdict}, 1 "
                               f"WHERE {row}.cluster IS NOT NULL"))
        else:
            out.append(f"UPDATE cluster_verdicts SET pages = pages - 1 WHERE cluster = "
                       f"{row}.cluster AND verdict = {verdict}")
    return out


def _page_links(row: str, sign: str) -> list[str]:
    """A page's numbers and brands counted on or off its domain as ``row`` (NEW or OLD) has it."""
    s, a = _spam(row), _adv("pn")
    if sign == "+":
        return [
            _upsert("number_domains", "number_id, domain",
                    "pages, advertised, spam, spam_advertised",
                    f"SELECT pn.number_id, {row}.domain, 1, {a}, {s}, {a} * {s} "
                    f"FROM page_numbers pn WHERE pn.page_id = {row}.id"),
            _upsert("brand_domains", "brand_id, domain", "pages, spam_pages",
                    f"SELECT pb.brand_id, {row}.domain, 1, {s} FROM page_brands pb "
                    f"WHERE pb.page_id = {row}.id"),
            # number_brands.pages does not depend on the page's domain or verdict.
            f"UPDATE number_brands SET spam_advertised = number_brands.spam_advertised + {s} "
            f"FROM page_numbers pn, page_brands pb WHERE pn.page_id = {row}.id AND "
            f"pb.page_id = {row}.id AND pn.advertised AND number_brands.number_id = pn.number_id"
            f" AND number_brands.brand_id = pb.brand_id AND {s} = 1"]
    return [
        f"UPDATE number_domains SET pages = number_domains.pages - 1, advertised = "
        f"number_domains.advertised - {a}, spam = number_domains.spam - {s}, spam_advertised = "
        f"number_domains.spam_advertised - {a} * {s} FROM page_numbers pn WHERE pn.page_id = "
        f"{row}.id AND number_domains.number_id = pn.number_id AND number_domains.domain = "
        f"{row}.domain",
        f"UPDATE brand_domains SET pages = brand_domains.pages - 1, spam_pages = "
        f"brand_domains.spam_pages - {s} FROM page_brands pb WHERE pb.page_id = {row}.id AND "
        f"brand_domains.brand_id = pb.brand_id AND brand_domains.domain = {row}.domain",
        f"UPDATE number_brands SET spam_advertised = number_brands.spam_advertised - {s} "
        f"FROM page_numbers pn, page_brands pb WHERE pn.page_id = {row}.id AND "
        f"pb.page_id = {row}.id AND pn.advertised AND number_brands.number_id = pn.number_id"
        f" AND number_brands.brand_id = pb.brand_id AND {s} = 1"]


def _link(table: str, row: str, sign: str) -> list[str]:
    """One ``page_numbers`` or ``page_brands`` row (NEW or OLD) counted on or off."""
    s = _spam("p")
    page = f"FROM pages p WHERE p.id = {row}.page_id"
    if table == "page_numbers":
        a = _adv(row)
        if sign == "+":
            return [
                _upsert("number_domains", "number_id, domain",
                        "pages, advertised, spam, spam_advertised",
                        f"SELECT {row}.number_id, p.domain, 1, {a}, {s}, {a} * {s} {page}"),
                _upsert("number_brands", "number_id, brand_id", "pages, spam_advertised",
                        f"SELECT {row}.number_id, pb.brand_id, 1, {a} * {s} FROM page_brands pb "
                        f"JOIN pages p ON p.id = pb.page_id WHERE pb.page_id = {row}.page_id")]
        return [
            f"UPDATE number_domains SET pages = number_domains.pages - 1, advertised = "
            f"number_domains.advertised - {a}, spam = number_domains.spam - {s}, "
            f"spam_advertised = number_domains.spam_advertised - {a} * {s} FROM pages p WHERE "
            f"p.id = {row}.page_id AND number_domains.number_id = {row}.number_id AND "
            f"number_domains.domain = p.domain",
            f"UPDATE number_brands SET pages = number_brands.pages - 1, spam_advertised = "
            f"number_brands.spam_advertised - {a} * {s} FROM page_brands pb, pages p WHERE "
            f"pb.page_id = {row}.page_id AND p.id = {row}.page_id AND number_brands.number_id = "
            f"{row}.number_id AND number_brands.brand_id = pb.brand_id"]
    a = _adv("pn")
    if sign == "+":
        return [
            _upsert("brand_domains", "brand_id, domain", "pages, spam_pages",
                    f"SELECT {row}.brand_id, p.domain, 1, {s} {page}"),
            _upsert("number_brands", "number_id, brand_id", "pages, spam_advertised",
                    f"SELECT pn.number_id, {row}.brand_id, 1, {a} * {s} FROM page_numbers pn "
                    f"JOIN pages p ON p.id = pn.page_id WHERE pn.page_id = {row}.page_id")]
    return [
        f"UPDATE brand_domains SET pages = brand_domains.pages - 1, spam_pages = "
        f"brand_domains.spam_pages - {s} FROM pages p WHERE p.id = {row}.page_id AND "
        f"brand_domains.brand_id = {row}.brand_id AND brand_domains.domain = p.domain",
        f"UPDATE number_brands SET pages = number_brands.pages - 1, spam_advertised = "
        f"number_brands.spam_advertised - {a} * {s} FROM page_numbers pn, pages p WHERE "
        f"pn.page_id = {row}.page_id AND p.id = {row}.page_id AND number_brands.brand_id = "
        f"{row}.brand_id AND number_brands.number_id = pn.number_id"]


def _stats(kind: str, event: str) -> list[str]:
    stats, key, count = ("number_stats", "number_id", "spam_advertised") if kind == "number" \
        else ("brand_stats", "brand_id", "spam_pages")
    pages, domains = ("spam_pages", "spam_domains")
    new_n, new_d = f"NEW.{count}", f"(CASE WHEN NEW.{count} > 0 THEN 1 ELSE 0 END)"
    if event == "INSERT":
        dn, dd = new_n, new_d
    else:
        dn = f"NEW.{count} - OLD.{count}"
        dd = f"{new_d} - (CASE WHEN OLD.{count} > 0 THEN 1 ELSE 0 END)"
    return [_upsert(stats, key, f"{pages}, {domains}", f"SELECT NEW.{key}, {dn}, {dd} WHERE true")]


CHANGED = "OLD.domain IS DISTINCT FROM NEW.domain OR OLD.verdict IS DISTINCT FROM NEW.verdict"


def triggers() -> list[tuple[str, str, str, str | None, list[str]]]:
    """(name, timing and event, table, WHEN condition, statements) of every trigger."""
    out: list[tuple[str, str, str, str | None, list[str]]] = [
        ("sum_pages_insert", "AFTER INSERT", "pages", None,
         [*_domain_verdict("NEW", "+"), *_cluster("NEW", "+")]),
        ("sum_pages_verdict", "AFTER UPDATE", "pages", CHANGED,
         [*_domain_verdict("OLD", "-"), *_domain_verdict("NEW", "+"),
          *_page_links("OLD", "-"), *_page_links("NEW", "+")]),
        ("sum_pages_cluster", "AFTER UPDATE", "pages",
         f"OLD.cluster IS DISTINCT FROM NEW.cluster OR {CHANGED}",
         [*_cluster("OLD", "-"), *_cluster("NEW", "+")]),
        # A page deleted: its numbers and brands go first, counted off while it is still there.
        ("sum_pages_delete", "BEFORE DELETE", "pages", None,
         ["DELETE FROM page_numbers WHERE page_id = OLD.id",
          "DELETE FROM page_brands WHERE page_id = OLD.id",
          *_domain_verdict("OLD", "-"), *_cluster("OLD", "-")]),
        ("sum_page_numbers_insert", "AFTER INSERT", "page_numbers", None,
         _link("page_numbers", "NEW", "+")),
        ("sum_page_numbers_delete", "AFTER DELETE", "page_numbers", None,
         _link("page_numbers", "OLD", "-")),
        ("sum_page_numbers_update", "AFTER UPDATE", "page_numbers", None,
         [*_link("page_numbers", "OLD", "-"), *_link("page_numbers", "NEW", "+")]),
        ("sum_page_brands_insert", "AFTER INSERT", "page_brands", None,
         _link("page_brands", "NEW", "+")),
        ("sum_page_brands_delete", "AFTER DELETE", "page_brands", None,
         _link("page_brands", "OLD", "-")),
    ]
    for kind in ("number", "brand"):
        for event in ("INSERT", "UPDATE"):
            out.append((f"sum_{kind}_domains_{event.lower()}", f"AFTER {event}",
                        f"{kind}_domains", None, _stats(kind, event)))
    return out


# PostgreSQL: writers sharing numbers would lock summary rows in different orders (deadlocks);
# the first statement on these tables in a transaction takes this lock, so page writes with
# their summary updates run one transaction at a time (fetching and analysis stay parallel).
LOCK_KEY = 0x7519_0013
LOCKED_TABLES = ("pages", "page_numbers", "page_brands")


def create_triggers(conn: Connection) -> None:
    """Create every summary trigger (SQLite or PostgreSQL)."""
    pg = conn.dialect.name == "postgresql"
    if pg:
        conn.execute(text("CREATE OR REPLACE FUNCTION sum_lock() RETURNS trigger LANGUAGE "
                          f"plpgsql AS $$ BEGIN PERFORM pg_advisory_xact_lock({LOCK_KEY}); "
                          "RETURN NULL; END $$"))
        for table in LOCKED_TABLES:
            conn.execute(text(f"CREATE TRIGGER sum_lock_{table} BEFORE INSERT OR UPDATE OR "
                              f"DELETE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION "
                              "sum_lock()"))
    for name, timing, table, when, body in triggers():
        cond = f" WHEN ({when})" if when else ""
        if pg:
            ret = "OLD" if timing.startswith("BEFORE DELETE") else "NULL"
            conn.execute(text(f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger "
                              f"LANGUAGE plpgsql AS $$ BEGIN {'; '.join(body)}; "
                              f"RETURN {ret}; END $$"))
            conn.execute(text(f"CREATE TRIGGER {name} {timing} ON {table} FOR EACH ROW{cond} "
                              f"EXECUTE FUNCTION {name}()"))
        else:
            conn.execute(text(f"CREATE TRIGGER {name} {timing} ON {table} FOR EACH ROW{cond} "
                              f"BEGIN {'; '.join(body)}; END"))


def drop_triggers(conn: Connection) -> None:
    """Drop every summary trigger (before a bulk load, then :func:`rebuild`)."""
    pg = conn.dialect.name == "postgresql"
    for name, _, table, _, _ in triggers():
        conn.execute(text(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if pg else "")))
        if pg:
            conn.execute(text(f"DROP FUNCTION IF EXISTS {name}()"))
    if pg:
        for table in LOCKED_TABLES:
            conn.execute(text(f"DROP TRIGGER IF EXISTS sum_lock_{table} ON {table}"))
        conn.execute(text("DROP FUNCTION IF EXISTS sum_lock()"))


SUMMARY_TABLES = ("number_stats", "brand_stats", "number_domains", "number_brands",
                  "brand_domains", "domain_verdicts", "cluster_verdicts")


def refresh(conn: Connection) -> None:
    """Every summary made again from the pages, the triggers dropped meanwhile (bulk loads)."""
    drop_triggers(conn)
    rebuild(conn)
    create_triggers(conn)


def rebuild(conn: Connection) -> None:
    """Every summary table made again from the pages (one aggregate per table); the triggers
    must not exist meanwhile (they would count the stats twice): see :func:`refresh`."""
    s, a = _spam("p"), _adv("pn")
    for table in SUMMARY_TABLES:
        conn.execute(text(f"DELETE FROM {table}"))
    for sql in (
        "INSERT INTO domain_verdicts (domain, verdict, pages, first_run_id) SELECT p.domain, "
        f"COALESCE(p.verdict, ''), count(*), min(CASE WHEN p.verdict IN {SPAM} THEN "
        "p.first_run_id END) FROM pages p GROUP BY p.domain, COALESCE(p.verdict, '')",
        "INSERT INTO cluster_verdicts (cluster, verdict, pages) SELECT p.cluster, "
        "COALESCE(p.verdict, ''), count(*) FROM pages p WHERE p.cluster IS NOT NULL "
        "GROUP BY p.cluster, COALESCE(p.verdict, '')",
        "INSERT INTO cluster_verdicts (cluster, verdict, pages) SELECT p.cluster, '*', "
        "count(*) FROM pages p WHERE p.cluster IS NOT NULL GROUP BY p.cluster",
        "INSERT INTO number_domains (number_id, domain, pages, advertised, spam, "
        f"spam_advertised) SELECT pn.number_id, p.domain, count(*), sum({a}), sum({s}), "
        f"sum({a} * {s}) FROM page_numbers pn JOIN pages p ON p.id = pn.page_id "
        "GROUP BY pn.number_id, p.domain",
        "INSERT INTO brand_domains (brand_id, domain, pages, spam_pages) SELECT pb.brand_id, "
        f"p.domain, count(*), sum({s}) FROM page_brands pb JOIN pages p ON p.id = pb.page_id "
        "GROUP BY pb.brand_id, p.domain",
        "INSERT INTO number_brands (number_id, brand_id, pages, spam_advertised) SELECT "
        f"pn.number_id, pb.brand_id, count(*), sum({a} * {s}) FROM page_numbers pn JOIN "
        "page_brands pb ON pb.page_id = pn.page_id JOIN pages p ON p.id = pn.page_id "
        "GROUP BY pn.number_id, pb.brand_id",
        "INSERT INTO number_stats (number_id, spam_pages, spam_domains) SELECT number_id, "
        "sum(spam_advertised), sum(CASE WHEN spam_advertised > 0 THEN 1 ELSE 0 END) "
        "FROM number_domains GROUP BY number_id",
        "INSERT INTO brand_stats (brand_id, spam_pages, spam_domains) SELECT brand_id, "
        "sum(spam_pages), sum(CASE WHEN spam_pages > 0 THEN 1 ELSE 0 END) "
        "FROM brand_domains GROUP BY brand_id",
    ):
        conn.execute(text(sql))


__all__ = ["SUMMARY_TABLES", "create_triggers", "drop_triggers", "rebuild", "refresh",
           "triggers"]
