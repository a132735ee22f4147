#pragma once
// Partial updates (cập nhật) of subscribers and subscriptions under an AIP-134 update_mask: which paths a
// mask may name, and the stored resource merged with the request, then checked exactly as on create. Pure:
// nothing here touches storage.
#include <google/protobuf/field_mask.pb.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "validation.h"

namespace cchc::notification {

// The fields an update may name, in proto order; "*" or an empty mask means all of them.
const std::vector<std::string>& UpdatableSubscriberFields();
const std::vector<std::string>& UpdatableSubscriptionFields();

// The paths of `mask` among `updatable` (all of them for an empty mask or "*"), without repeats. A path that
// is not updatable → FieldError naming "update_mask.paths[i]"; one of `fixed` (output-only or immutable
// fields) says so rather than "unknown".
std::optional<FieldError> ResolveMask(const google::protobuf::FieldMask& mask,
                                      const std::vector<std::string>& updatable, const std::vector<std::string>& fixed,
                                      std::vector<std::string>* paths);

// `stored` with the fields of `in` that `mask` names, checked as ValidateSubscriber checks a new one. An
// empty webhook_secret keeps the stored secret (it is never returned, so a read-modify-write cannot carry
// it, and it is not checked again); without a webhook_url no secret is kept, and a webhook_url added to a
// subscriber without a secret needs one. `in.id`, when set, must be the stored id.
std::optional<FieldError> MergeSubscriber(const SubscriberSpec& stored, const v1::Subscriber& in,
                                          const google::protobuf::FieldMask& mask, SubscriberSpec* out);

// `stored` (as the service returns it) with the fields of `in` that `mask` names, checked as
// ValidateSubscription checks a new one against `subscriber`. `in.event_type`, when set, must be the stored one.
std::optional<FieldError> MergeSubscription(const v1::Subscription& stored, const v1::Subscription& in,
                                            const google::protobuf::FieldMask& mask, const SubscriberSpec& subscriber,
                                            SubscriptionSpec* out);

// A subscription's name and its channels, as the subscriber update sees them.
using SubscriptionChannels = std::pair<std::string, std::vector<ChannelSpec>>;

// The first subscription that delivers by e-mail or webhook when `updated` has no email or webhook_url any
// more, as a FieldError on that subscriber field (the caller answers FAILED_PRECONDITION).
std::optional<FieldError> ChannelsStillReachable(const SubscriberSpec& updated,
                                                 const std::vector<SubscriptionChannels>& subscriptions);

inline constexpr int kMaxMaskPaths = 32;

}  // namespace cchc::notification
