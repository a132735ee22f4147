#pragma once
// Paging through a List RPC: one page, or every page with --all.
#include <string>
#include <utility>

namespace cchc::cchcctl {

// Calls `fetch(page_token, &page)` for one page starting at `token`, or until next_page_token is empty when
// `all`; returns every page's items (`items(response)`: the repeated field's mutable pointer) in one response
// carrying the last next_page_token.
template <typename Response, typename Fetch, typename Items>
Response CollectPages(std::string token, bool all, Fetch fetch, Items items) {
  Response collected;
  do {
    Response page;
    fetch(token, &page);
    for (auto& item : *items(page)) *items(collected)->Add() = std::move(item);
    token = page.next_page_token();
  } while (all && !token.empty());
  collected.set_next_page_token(token);
  return collected;
}

}  // namespace cchc::cchcctl
