# model sources.
list(APPEND CETWIN_SOURCES)
