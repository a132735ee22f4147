#include "pages/render.h"

namespace cchc::portal::pages {

std::string Render(const std::string& name, const mstch::map& context) {
  // No partials: mstch parses every partial it is given on each render (perf showed the parse in the profile).
  return mstch::render(Templates().at(name), context);
}

}  // namespace cchc::portal::pages
