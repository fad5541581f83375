# sa: the sensitivity-analysis library (keyed bootstrap counts, Morris
# screening, Sobol' indices by the Saltelli design); MPI-free.
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/bootstrap.c
  ${CMAKE_CURRENT_LIST_DIR}/groups.c)
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/sobol_design.c
  ${CMAKE_CURRENT_LIST_DIR}/sobol_sums.c
  ${CMAKE_CURRENT_LIST_DIR}/sobol_estimate.c)
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/morris_design.c
  ${CMAKE_CURRENT_LIST_DIR}/morris_select.c
  ${CMAKE_CURRENT_LIST_DIR}/morris_stats.c)
