# app: the cetwin command line.
set(CETWIN_APP_SOURCES ${CMAKE_CURRENT_LIST_DIR}/main.c)
