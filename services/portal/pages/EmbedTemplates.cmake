# Writes OUT: a C++ file defining cchc::portal::pages::Templates(), the *.mustache files of DIR by file stem.
# Run with cmake -P.
file(GLOB files ${DIR}/*.mustache)
list(SORT files)
set(body "")
foreach(f ${files})
  get_filename_component(stem ${f} NAME_WE)
  file(READ ${f} text)
  string(APPEND body "      {\"${stem}\", R\"cchc_tpl(${text})cchc_tpl\"},\n")
endforeach()
file(WRITE ${OUT} "// Generated from ${DIR}; do not edit.\n#include \"pages/render.h\"\n\nnamespace cchc::portal::pages {\nconst std::map<std::string, std::string>& Templates() {\n  static const std::map<std::string, std::string> templates = {\n${body}  };\n  return templates;\n}\n}  // namespace cchc::portal::pages\n")
