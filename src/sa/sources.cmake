# sa: the sensitivity-analysis library (keyed bootstrap counts, Morris
# screening, Sobol' indices by the Saltelli design); MPI-free.
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/bootstrap.c)
