# io: the result file (HDF5) — the only module that touches HDF5.
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/h5_util.c
  ${CMAKE_CURRENT_LIST_DIR}/info.c
  ${CMAKE_CURRENT_LIST_DIR}/provenance.c
  ${CMAKE_CURRENT_LIST_DIR}/result.c)
# io: checkpoint files (written as result files, read back by shape).
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/checkpoint.c)
# io: reading result files (merge of Monte Carlo shards).
list(APPEND CETWIN_SOURCES ${CMAKE_CURRENT_LIST_DIR}/result_read.c)
# io: the content checksum in the userblock of every file written.
list(APPEND CETWIN_SOURCES ${CMAKE_CURRENT_LIST_DIR}/checksum.c)
