#include "pages/status_page.h"

namespace cchc::portal::pages {

PageContent ErrorPage(int status, std::string message) {
  PageContent page;
  page.status = status;
  page.message = std::move(message);
  return page;
}

PageContent ErrorFromStatus(const grpc::Status& status, const std::string& service, const std::string& not_found) {
  switch (status.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
      return ErrorPage(404, not_found);
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
      return ErrorPage(400, "Yêu cầu không hợp lệ: tham số của trang không đúng.");
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return ErrorPage(503, "Dịch vụ " + service + " tạm thời không truy cập được. Vui lòng thử lại sau.");
    default:
      return ErrorPage(500, "Đã có lỗi khi đọc dữ liệu " + service + ". Vui lòng thử lại sau.");
  }
}

}  // namespace cchc::portal::pages
