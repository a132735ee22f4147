# cchc_add_service(<name> SOURCES <file>… [LIBRARIES <target>…])
# One service's build, the same for every service:
# - the library cchc_<name>: SOURCES and the service's migrations/*.sql, embedded at build time as
#   cchc::<name>::Migrations(), each named <name>_<file stem> (EmbedMigrations.cmake);
# - its include root is its own folder ("rules/…", "store/…"); it sees the platform's public headers
#   ("platform/…") and the LIBRARIES it names, never another service's folder;
# - the executable <name>-service, built from main.cc (wiring only).
function(cchc_add_service name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  set(embedded ${CMAKE_CURRENT_BINARY_DIR}/migrations_embedded.cc)
  file(GLOB sql CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/migrations/*.sql)
  add_custom_command(
    OUTPUT ${embedded}
    COMMAND ${CMAKE_COMMAND} -DOUT=${embedded} -DNAMESPACE=cchc::${name} -DPREFIX=${name}
            -DDIR=${CMAKE_CURRENT_SOURCE_DIR}/migrations -P ${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake
    DEPENDS ${sql} ${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake)
  add_library(cchc_${name} STATIC ${ARG_SOURCES} ${embedded})
  target_include_directories(cchc_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(cchc_${name} PUBLIC cchc_platform ${ARG_LIBRARIES})
  add_executable(${name}-service main.cc)
  target_link_libraries(${name}-service PRIVATE cchc_${name})
endfunction()
