# drivers: the analyses (enumerate, simulate, mc, sensitivity, optimize).
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/enumerate.c
  ${CMAKE_CURRENT_LIST_DIR}/enumerate_report.c)
# drivers: simulate (one evaluation of a network twin).
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/simulate.c
  ${CMAKE_CURRENT_LIST_DIR}/simulate_report.c)
