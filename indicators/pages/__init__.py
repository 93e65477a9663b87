"""The public pages: home and search, "Mon territoire", indicator pages and maps, release comparison."""
