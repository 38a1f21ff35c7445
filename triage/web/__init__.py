"""The web review UI (``triage serve``): a server-rendered Starlette app over the database.

:func:`triage.web.app.create_app` builds it; :mod:`triage.web.security` holds what keeps
hostile crawled content inert (CSP, escaping, access token, CSRF).
"""
