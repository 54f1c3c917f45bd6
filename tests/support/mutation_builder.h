// Builds mutations for tests: field values are made the way a client makes
// them, with ResolvePath + ExtractValue on a message holding the value.
#ifndef FIELDSYNC_TESTS_SUPPORT_MUTATION_BUILDER_H_
#define FIELDSYNC_TESTS_SUPPORT_MUTATION_BUILDER_H_

#include <string>
#include <vector>

#include "fieldsync/v1/area.pb.h"
#include "fieldsync/v1/report.pb.h"
#include "fieldsync/v1/sync.pb.h"
#include "sync/area_tree.h"
#include "sync/field_path.h"

namespace fieldsync::testing {

// The serialized value at `path` of `body` ("" if unset).
inline std::string ValueOf(const google::protobuf::Message& body,
                           const std::string& path) {
  absl::StatusOr<FieldRef> ref = ResolvePath(body.GetDescriptor(), path);
  return ref.ok() ? ExtractValue(body, *ref) : "";
}

// One FieldSet per path, each holding `body`'s value at that path.
inline std::vector<v1::FieldSet> SetsOf(const google::protobuf::Message& body,
                                        const std::vector<std::string>& paths) {
  std::vector<v1::FieldSet> sets;
  for (const std::string& path : paths) sets.push_back(FieldSetOf(body, path));
  return sets;
}

// The FieldSet of one indicator of a report.
inline v1::FieldSet IndicatorSet(const std::string& code, double value) {
  v1::Report r;
  (*r.mutable_indicators())[code].set_value(value);
  return SetsOf(r, {"indicators/" + code}).front();
}

// The FieldSet of one text or id field of a report.
inline v1::FieldSet ReportSet(const std::string& path,
                              const std::string& value) {
  v1::Report r;
  r.GetReflection()->SetString(&r, r.GetDescriptor()->FindFieldByName(path),
                               value);
  return SetsOf(r, {path}).front();
}

class MutationBuilder {
 public:
  MutationBuilder(std::string device, uint64_t seq, std::string key) {
    m_.set_device_id(std::move(device));
    m_.set_mutation_seq(seq);
    m_.set_key(std::move(key));
    m_.set_authority(v1::AUTHORITY_COMMUNE);
    m_.set_author("tester");
  }
  MutationBuilder& Base(uint64_t version) {
    m_.set_base_version(version);
    return *this;
  }
  MutationBuilder& Authority(v1::Authority a) {
    m_.set_authority(a);
    return *this;
  }
  MutationBuilder& DeviceTime(int64_t micros) {
    m_.set_device_time_micros(micros);
    return *this;
  }
  MutationBuilder& Delete() {
    m_.set_delete_(true);
    return *this;
  }
  // Sets `path` to its value in `body`.
  MutationBuilder& Set(const std::string& path,
                       const google::protobuf::Message& body) {
    v1::FieldSet* set = m_.add_sets();
    set->set_path(path);
    set->set_value(ValueOf(body, path));
    return *this;
  }
  MutationBuilder& SetRaw(const std::string& path, const std::string& value) {
    v1::FieldSet* set = m_.add_sets();
    set->set_path(path);
    set->set_value(value);
    return *this;
  }
  MutationBuilder& Results(const std::string& text) {
    v1::Report r;
    r.set_results(text);
    return Set("results", r);
  }
  MutationBuilder& Difficulties(const std::string& text) {
    v1::Report r;
    r.set_difficulties(text);
    return Set("difficulties", r);
  }
  MutationBuilder& Indicator(const std::string& code, double value) {
    v1::Report r;
    (*r.mutable_indicators())[code].set_value(value);
    return Set("indicators/" + code, r);
  }
  MutationBuilder& AreaId(const std::string& area) {
    v1::Report r;
    r.set_area_id(area);
    return Set("area_id", r);
  }
  MutationBuilder& Period(const std::string& period) {
    v1::Report r;
    r.set_period(period);
    return Set("period", r);
  }
  MutationBuilder& Status(v1::ReportStatus status) {
    v1::Report r;
    r.set_status(status);
    return Set("status", r);
  }
  v1::Mutation Build() const { return m_; }
  operator v1::Mutation() const { return m_; }

 private:
  v1::Mutation m_;
};

// Đồng Tháp in miniature: the province, Sa Đéc, two of its communes, and
// Lai Vung with one commune.
inline AreaTree SmallAreaTree() {
  auto make = [](std::string id, std::string parent, v1::AreaLevel level) {
    v1::Area a;
    a.set_id(std::move(id));
    a.set_parent_id(std::move(parent));
    a.set_level(level);
    return a;
  };
  auto tree = AreaTree::Build(
      {make("dong-thap", "", v1::AREA_LEVEL_PROVINCE),
       make("tp-sa-dec", "dong-thap", v1::AREA_LEVEL_DISTRICT),
       make("xa-tan-phu-dong", "tp-sa-dec", v1::AREA_LEVEL_COMMUNE),
       make("xa-tan-quy-tay", "tp-sa-dec", v1::AREA_LEVEL_COMMUNE),
       make("h-lai-vung", "dong-thap", v1::AREA_LEVEL_DISTRICT),
       make("xa-vinh-thoi", "h-lai-vung", v1::AREA_LEVEL_COMMUNE)});
  return *std::move(tree);
}

}  // namespace fieldsync::testing

#endif  // FIELDSYNC_TESTS_SUPPORT_MUTATION_BUILDER_H_
