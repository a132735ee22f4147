#include "templates.h"

#include <map>

namespace cchc::portal {

const std::map<std::string, std::string>& EmbeddedTemplates();  // templates_embedded.cc, generated

std::string RenderTemplate(const std::string& name, const mstch::node& context) {
  return mstch::render(EmbeddedTemplates().at(name), context);
}

const std::string& Asset(const std::string& name) {
  return EmbeddedTemplates().at(name);
}

}  // namespace cchc::portal
