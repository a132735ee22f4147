#pragma once
// The portal's Mustache templates (services/portal/templates/, embedded at build time) rendered by mstch.
// {{name}} is HTML-escaped (mstch's default, kept): every value from a service or a reader goes through it.
// {{{name}}} is only for HTML a template already rendered (the page's main_html inside the layout).
#include <mstch/mstch.hpp>
#include <string>

namespace cchc::portal {

// Renders templates/<name> with `context`. Throws std::out_of_range for an unknown name.
std::string RenderTemplate(const std::string& name, const mstch::node& context);

// A file of templates/ as it is (the stylesheet); throws std::out_of_range for an unknown name.
const std::string& Asset(const std::string& name);

}  // namespace cchc::portal
