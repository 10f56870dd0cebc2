"""The Pacta app's entry point (``pacta app`` runs it with Streamlit): the pages, the store in the sidebar.

Each page lives in ``views/`` and calls the same services as the command line.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run by ``streamlit run app/web/main.py``: make ``app`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import streamlit as st

from app.web.shared import PAGES, STYLE, call, context, store_counts, warm

st.set_page_config(page_title="Pacta — treaty clauses", page_icon="§", layout="wide")
st.html(STYLE)  # the marks and the clause text style, for every page

pages = {
    "Research": [
        st.Page(PAGES["search"], title="Search", url_path="search", default=True),
        st.Page(PAGES["clause"], title="Clause", url_path="clause"),
        st.Page(PAGES["agreement"], title="Agreement", url_path="agreement"),
    ],
    "Negotiation": [
        st.Page(PAGES["check"], title="Draft check", url_path="check"),
        st.Page(PAGES["state"], title="State", url_path="state"),
    ],
    "Store": [st.Page(PAGES["ingest"], title="Ingest", url_path="ingest")],
}


def _login_required() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (Streamlit's OIDC login)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file: no login
        return False


if _login_required() and not st.user.is_logged_in:
    st.title("Pacta")
    st.write("Sign in to use Pacta.")
    st.button("Sign in", on_click=st.login, type="primary")
    st.stop()

page = st.navigation(pages)

ctx = call("opening the store", context)
with st.sidebar:
    counts = call("reading the store", store_counts, ctx)
    st.caption(f"Store: `{ctx.folder}` ({ctx.settings.graph}) · {counts['treaties']:,} agreements · "
               f"{counts['clauses']:,} clauses")
call("loading the search index", warm, ctx)
page.run()
