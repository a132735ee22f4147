# Writes OUT: a C++ file defining NAMESPACE::Migrations() from the *.sql files of DIR, in name order,
# each named PREFIX_<file stem>. Run with cmake -P.
file(GLOB files ${DIR}/*.sql)
list(SORT files)
set(body "")
foreach(f ${files})
  get_filename_component(stem ${f} NAME_WE)
  file(READ ${f} sql)
  string(APPEND body "      {\"${PREFIX}_${stem}\", R\"cchc_sql(${sql})cchc_sql\"},\n")
endforeach()
file(WRITE ${OUT} "// Generated from ${DIR}; do not edit.\n#include \"platform/migrations.h\"\n\nnamespace ${NAMESPACE} {\nstd::vector<db::Migration> Migrations() {\n  return {\n${body}  };\n}\n}  // namespace ${NAMESPACE}\n")
