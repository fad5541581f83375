# io sources.
list(APPEND CETWIN_SOURCES)
