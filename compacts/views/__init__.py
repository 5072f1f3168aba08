"""Views of the compacts app, one module per concern: lists.py (filterable lists and CSV export),
records.py (the compact page and the staff forms), spreadsheets.py (XLSX round trip)."""
