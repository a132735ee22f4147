#include "pages/render.h"

namespace cchc::portal::pages {

std::string Render(const std::string& name, const mstch::map& context) {
  const auto& templates = Templates();
  return mstch::render(templates.at(name), context, templates);
}

}  // namespace cchc::portal::pages
