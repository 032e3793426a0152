"""The embedded engine: TinyDB over one JSON file with a journal (atomic_json), for one process."""
