# config sources.
list(APPEND CETWIN_SOURCES)
# config: CSV time series (price histories).
list(APPEND CETWIN_SOURCES ${CMAKE_CURRENT_LIST_DIR}/csv.c)
