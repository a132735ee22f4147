#pragma once
// The pages' templates (templates/*.mustache, embedded at build time) rendered by mstch: {{ }} escapes HTML,
// {{{ }}} is used only for markup the pages drew themselves (the SVG charts, escaped by EscapeXml).
#include <map>
#include <mstch/mstch.hpp>
#include <string>

namespace cchc::portal::pages {

// Every template by file stem ("document_list" for templates/document_list.mustache); generated.
const std::map<std::string, std::string>& Templates();
// Renders the template named `name` with `context` (without partials); throws std::out_of_range for a name
// that is not a template.
std::string Render(const std::string& name, const mstch::map& context);

}  // namespace cchc::portal::pages
