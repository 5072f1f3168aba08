"""The site's format module (settings.FORMAT_MODULE_PATH): core/formats.py says why one format."""
