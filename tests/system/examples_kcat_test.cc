// The README's kcat recipes, run as written (every line starting with "kcat" in the block after the
// "kcat-recipes" marker) against the stack's embedded broker: the document service's events with their ce_*
// headers, the notification service's dead letter of a message without CloudEvents headers, and the count by
// type, which matches what a librdkafka consumer reads.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <vector>

#include "support/kafka_reader.h"
#include "system/examples_fixture.h"

namespace cchc::testing {
namespace {

constexpr const char* kPublished = "cchc.document.v1.DocumentPublished";

// The kcat command lines of README.md's recipe block, in order.
std::vector<std::string> ReadmeRecipes() {
  std::ifstream in(SourceDir() + "/README.md");
  std::vector<std::string> recipes;
  bool marker = false, block = false;
  for (std::string line; std::getline(in, line);) {
    if (!marker) {
      marker = line.rfind("<!-- kcat-recipes:", 0) == 0;
    } else if (!block) {
      block = line.rfind("```", 0) == 0;
    } else if (line.rfind("```", 0) == 0) {
      break;
    } else if (line.rfind("kcat ", 0) == 0) {
      recipes.push_back(line);
    }
  }
  return recipes;
}

// The one recipe that contains `needle`.
std::string Recipe(const std::vector<std::string>& recipes, const std::string& needle) {
  std::string found;
  for (const auto& r : recipes)
    if (r.find(needle) != std::string::npos) {
      EXPECT_TRUE(found.empty()) << "two recipes contain " << needle;
      found = r;
    }
  EXPECT_FALSE(found.empty()) << "no recipe contains " << needle;
  return found;
}

int Lines(const std::string& text, const std::string& needle) {
  int n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
  return n;
}

TEST_F(ExamplesTest, ReadmeKcatRecipesRunAgainstTheEmbeddedBroker) {
  const auto recipes = ReadmeRecipes();
  ASSERT_EQ(recipes.size(), 3u);
  const std::string bootstrap = stack_->Kafka().Bootstrap();
  auto run = [&](const std::string& recipe) {
    return Run("CCHC_BROKERS=" + bootstrap + " timeout 30 bash -o pipefail -c " + ShellQuote(recipe));
  };

  // One DocumentPublished per published document (the demo's 26 and any a test published), as a librdkafka
  // consumer reads them; then a message without CloudEvents headers, which the notification consumer
  // dead-letters at once.
  dv1::ListDocumentsRequest list;
  list.mutable_filter()->set_status(dv1::PUBLISHED);
  list.set_page_size(100);
  dv1::ListDocumentsResponse documents;
  ASSERT_TRUE(stack_->Documents().ListDocuments(SystemStack::Context(Tokens::kAdmin).get(), list, &documents).ok());
  const int published = documents.documents_size();
  ASSERT_GE(published, 26);
  int relayed = 0;
  for (const auto& m :
       ReadTopic(bootstrap, "cchc.document.v1", published, std::chrono::seconds(30), std::chrono::milliseconds(500)))
    relayed += m.headers.count("ce_type") && m.headers.at("ce_type") == kPublished;
  ASSERT_EQ(relayed, published);
  Produce(bootstrap, "cchc.document.v1", "poison-1", "not a CloudEvent", {});
  const std::string dead_letters = Recipe(recipes, "cchc.notification.dlq.v1");
  CommandResult dead;
  ASSERT_TRUE(WaitFor(
      [&] {
        dead = run(dead_letters);
        return dead.exit_code == 0 && dead.out.find("key poison-1 ") != std::string::npos;
      },
      std::chrono::seconds(30)))
      << dead.out << dead.err;

  auto tail = run(Recipe(recipes, " -J "));
  ASSERT_EQ(tail.exit_code, 0) << tail.err;
  EXPECT_EQ(Lines(tail.out, "\"topic\":\"cchc.document.v1\""), published + 1) << tail.out;
  EXPECT_EQ(Lines(tail.out, std::string("\"ce_type\",\"") + kPublished + "\""), published) << tail.out;
  EXPECT_EQ(Lines(tail.out, "\"ce_source\",\""), published);
  EXPECT_EQ(Lines(tail.out, "\"ce_id\",\""), published);
  EXPECT_EQ(Lines(tail.out, "\"ce_subject\",\"documents/"), published);

  EXPECT_EQ(Lines(dead.out, "key poison-1 "), 1) << dead.out;
  EXPECT_NE(dead.out.find("cchc_dlq_error=missing CloudEvents headers"), std::string::npos) << dead.out;
  EXPECT_NE(dead.out.find("cchc_dlq_topic=cchc.document.v1"), std::string::npos) << dead.out;

  auto count = run(Recipe(recipes, "uniq -c"));
  ASSERT_EQ(count.exit_code, 0) << count.err;
  std::istringstream in(count.out);
  int n = 0;
  std::string type;
  ASSERT_TRUE(in >> n >> type) << count.out;
  EXPECT_EQ(type, std::string("ce_type=") + kPublished);
  EXPECT_EQ(n, published);
  EXPECT_FALSE(in >> n) << "one type only: " << count.out;
}

}  // namespace
}  // namespace cchc::testing
