"""What people see: offline folium maps, summary tables, the build and the CLI.

``maps`` renders what ``geo`` measured; it never computes an area.
"""
