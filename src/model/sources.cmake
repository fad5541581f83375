# model: process library, flowsheet enumeration, networks, discounted cash
# flows, price models, environment, UNFC rating.
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/dcf.c
  ${CMAKE_CURRENT_LIST_DIR}/enumerate.c
  ${CMAKE_CURRENT_LIST_DIR}/price.c
  ${CMAKE_CURRENT_LIST_DIR}/process.c
  ${CMAKE_CURRENT_LIST_DIR}/unfc.c)
