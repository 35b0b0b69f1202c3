"""The Whoosh backend: schema, index store, query compiling, searching, array scoring and snippets."""
