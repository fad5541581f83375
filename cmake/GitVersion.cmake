# GitVersion.cmake — regenerates build/git_version.c on every build so that
# result files record the commit the binary was built from.
set(CETWIN_GIT_VERSION_FILE ${CMAKE_BINARY_DIR}/git_version.c)
add_custom_target(cetwin_git_version ALL
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR}
          -DOUTPUT=${CETWIN_GIT_VERSION_FILE}
          -P ${CMAKE_SOURCE_DIR}/cmake/WriteGitVersion.cmake
  BYPRODUCTS ${CETWIN_GIT_VERSION_FILE}
  COMMENT "Recording git commit")
