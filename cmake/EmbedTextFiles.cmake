# Writes OUT: a C++ file defining `const std::map<std::string, std::string>& NAMESPACE::FUNCTION()`, the files of
# DIR matching PATTERN, each by its name (KEY=NAME) or by its name without the extension (KEY=NAME_WE). The portal's
# templates and stylesheet are served from the binary this way. Run with cmake -P.
file(GLOB files ${DIR}/${PATTERN})
list(SORT files)
set(body "")
foreach(f ${files})
  get_filename_component(key ${f} ${KEY})
  file(READ ${f} text)
  string(APPEND body "      {\"${key}\", R\"cchc_tpl(${text})cchc_tpl\"},\n")
endforeach()
file(WRITE ${OUT} "// Generated from ${DIR}; do not edit.\n#include <map>\n#include <string>\n\nnamespace ${NAMESPACE} {\nconst std::map<std::string, std::string>& ${FUNCTION}() {\n  static const std::map<std::string, std::string> files{\n${body}  };\n  return files;\n}\n}  // namespace ${NAMESPACE}\n")
