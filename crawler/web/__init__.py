"""The web review UI (``triage serve``): a server-rendered Starlette app over the database.

:func:`crawler.web.app.create_app` builds it; :mod:`crawler.web.security` holds what keeps
hostile crawled content inert (CSP, escaping, access token, CSRF).
"""
