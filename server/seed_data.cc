#include "server/seed_data.h"

// The JSON files are pulled in with the assembler's .incbin; CMake passes
// their absolute paths and makes this file depend on them.
#define FS_STRINGIFY_INNER(x) #x
#define FS_STRINGIFY(x) FS_STRINGIFY_INNER(x)

#define FS_EMBED(symbol, path) \
  __asm__(".section .rodata\n"                       \
          ".balign 16\n"                             \
          ".global " #symbol "_begin\n" #symbol      \
          "_begin:\n"                                \
          ".incbin \"" FS_STRINGIFY(path) "\"\n"     \
          ".global " #symbol "_end\n" #symbol        \
          "_end:\n"                                  \
          ".byte 0\n"                                \
          ".previous\n")

FS_EMBED(fs_catalogue_json, FS_CATALOGUE_JSON_PATH);
FS_EMBED(fs_areas_json, FS_AREAS_JSON_PATH);
FS_EMBED(fs_field_reports_json, FS_FIELD_REPORTS_JSON_PATH);

extern "C" const char fs_catalogue_json_begin[];
extern "C" const char fs_catalogue_json_end[];
extern "C" const char fs_areas_json_begin[];
extern "C" const char fs_areas_json_end[];
extern "C" const char fs_field_reports_json_begin[];
extern "C" const char fs_field_reports_json_end[];

namespace fieldsync::server {

std::string_view EmbeddedCatalogueJson() {
  return std::string_view(fs_catalogue_json_begin,
                          fs_catalogue_json_end - fs_catalogue_json_begin);
}

std::string_view EmbeddedAreasJson() {
  return std::string_view(fs_areas_json_begin,
                          fs_areas_json_end - fs_areas_json_begin);
}

std::string_view EmbeddedFieldReportsJson() {
  return std::string_view(
      fs_field_reports_json_begin,
      fs_field_reports_json_end - fs_field_reports_json_begin);
}

}  // namespace fieldsync::server
