# Writes OUT: a C++ file defining cchc::portal::EmbeddedTemplates(), every file of DIR but this script by its
# name. Run with cmake -P.
file(GLOB files ${DIR}/*)
list(SORT files)
set(body "")
foreach(f ${files})
  get_filename_component(name ${f} NAME)
  if(name STREQUAL "embed.cmake")
    continue()
  endif()
  file(READ ${f} text)
  string(APPEND body "      {\"${name}\", R\"cchc_tpl(${text})cchc_tpl\"},\n")
endforeach()
file(WRITE ${OUT} "// Generated from ${DIR}; do not edit.\n#include <map>\n#include <string>\n\nnamespace cchc::portal {\nconst std::map<std::string, std::string>& EmbeddedTemplates() {\n  static const std::map<std::string, std::string> templates{\n${body}  };\n  return templates;\n}\n}  // namespace cchc::portal\n")
