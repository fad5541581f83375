# config sources.
list(APPEND CETWIN_SOURCES)
