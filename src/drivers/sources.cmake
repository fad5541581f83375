# drivers sources.
list(APPEND CETWIN_SOURCES)
