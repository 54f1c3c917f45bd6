// FieldSet values as a tablet pushes them (sync/field_path.h): for any
// field of any document body, any bytes either parse as a message holding
// only that field (or map entry) and apply, or are refused as
// InvalidArgument with the body unchanged; and what applies reads back as a
// value that applies to the same result.
#include <memory>
#include <string>

#include "fieldsync/v1/document.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "sync/deterministic.h"
#include "sync/field_path.h"
#include "tests/fuzz/fuzz_input.h"

namespace fieldsync::fuzz {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::util::MessageDifferencer;

// The body types of Document's oneof, in field order.
const Descriptor* BodyType(uint8_t choice) {
  const google::protobuf::OneofDescriptor* body =
      v1::Document::descriptor()->FindOneofByName("body");
  return body->field(choice % body->field_count())->message_type();
}

// The path of `type`'s field chosen by `choice`: "name", or "name/key" for
// a map (its key taken from the input's next bytes).
std::string PathOf(const Descriptor* type, uint8_t choice,
                   std::string_view& rest) {
  const FieldDescriptor* field = type->field(choice % type->field_count());
  std::string path(field->name());
  if (!field->is_map()) return path;
  const size_t length = rest.empty() ? 0 : static_cast<uint8_t>(rest[0]) % 8;
  rest.remove_prefix(rest.empty() ? 0 : 1);
  const size_t taken = std::min(length, rest.size());
  path += "/";
  path += std::string(rest.substr(0, taken));
  rest.remove_prefix(taken);
  return path;
}

}  // namespace
}  // namespace fieldsync::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldsync::fuzz;
  if (size < 2) return 0;
  const Descriptor* type = BodyType(data[0]);
  std::string_view rest = Bytes(data + 2, size - 2);
  const std::string path = PathOf(type, data[1], rest);
  absl::StatusOr<fieldsync::FieldRef> ref = fieldsync::ResolvePath(type, path);
  if (!ref.ok()) return 0;  // a map key the paths cannot name
  const std::string_view value = rest;
  std::unique_ptr<Message> body(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(type)
          ->New());
  std::unique_ptr<Message> before(body->New());
  absl::StatusOr<std::unique_ptr<Message>> parsed =
      fieldsync::ParseValue(*body, *ref, value);
  if (!parsed.ok()) {
    if (parsed.status().code() != absl::StatusCode::kInvalidArgument) {
      Fail("a bad value refused other than as InvalidArgument");
    }
    if (fieldsync::ApplyValue(*body, *ref, value).ok()) {
      Fail("ApplyValue took a value ParseValue refused");
    }
    if (!MessageDifferencer::Equals(*body, *before)) {
      Fail("a refused value changed the body");
    }
    return 0;
  }
  fieldsync::ApplyParsed(*body, *ref, value, parsed->get());
  const std::string extracted = fieldsync::ExtractValue(*body, *ref);
  std::unique_ptr<Message> again(body->New());
  if (!fieldsync::ApplyValue(*again, *ref, extracted).ok()) {
    Fail("a value read back from a body does not apply");
  }
  // Bytes, not MessageDifferencer: a NaN figure never equals itself.
  if (fieldsync::DeterministicBytes(*body) !=
      fieldsync::DeterministicBytes(*again)) {
    Fail("a value read back applies to another body");
  }
  return 0;
}
