// Time is injected (STYLE.md 2): the replica asks a ClockSource, which tests
// replace with a FakeClock they move by hand, backwards included.
#ifndef FIELDSYNC_SYNC_CLOCK_H_
#define FIELDSYNC_SYNC_CLOCK_H_

#include <atomic>
#include <chrono>
#include <cstdint>

namespace fieldsync {

class ClockSource {
 public:
  virtual ~ClockSource() = default;
  // Microseconds since the Unix epoch.
  virtual int64_t NowMicros() = 0;
};

class SystemClock : public ClockSource {
 public:
  int64_t NowMicros() override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that moves only when told. Thread-safe.
class FakeClock : public ClockSource {
 public:
  explicit FakeClock(int64_t now_micros) : now_(now_micros) {}
  int64_t NowMicros() override { return now_.load(); }
  void Set(int64_t now_micros) { now_.store(now_micros); }
  void Advance(int64_t micros) { now_.fetch_add(micros); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_CLOCK_H_
