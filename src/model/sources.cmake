# model: process library, flowsheet enumeration, networks, economics,
# prices, environment, UNFC rating.
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/enumerate.c
  ${CMAKE_CURRENT_LIST_DIR}/process.c)
