"""Phone numbers on a page: finding and de-obfuscating spellings (:mod:`.scan`, :mod:`.groups`,
:mod:`.context`, :mod:`.lists`), validating and typing them (:mod:`.numbers`, :mod:`.geo`), the page's numbering
plan (:mod:`.region`), and aggregating occurrences into the distinct numbers a page advertises
or quotes (:mod:`.extract`)."""

from pipelines.phones.extract import MAX_NUMBERS, extract_phones, find_phone_hits

__all__ = ["MAX_NUMBERS", "extract_phones", "find_phone_hits"]
