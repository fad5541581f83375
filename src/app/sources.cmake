# app: the cetwin command line.
set(CETWIN_APP_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/cli_help.c
  ${CMAKE_CURRENT_LIST_DIR}/cli_info.c
  ${CMAKE_CURRENT_LIST_DIR}/cli_parse.c
  ${CMAKE_CURRENT_LIST_DIR}/cli_run.c
  ${CMAKE_CURRENT_LIST_DIR}/main.c)
list(APPEND CETWIN_APP_SOURCES ${CMAKE_CURRENT_LIST_DIR}/cli_merge.c)
list(APPEND CETWIN_APP_SOURCES ${CMAKE_CURRENT_LIST_DIR}/cli_introspect.c)
