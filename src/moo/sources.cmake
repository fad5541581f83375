# moo sources.
list(APPEND CETWIN_SOURCES)
