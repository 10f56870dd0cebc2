"""App: the use-case services, the pacta command line and the Streamlit app."""
