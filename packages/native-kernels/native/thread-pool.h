// A fixed pool of worker threads for fork-join loops. The calling thread takes part, so a pool
// of size T runs T tasks at once. Calls are serialised: kernels never nest parallel loops.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace nk {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs fn(task, thread) for every task in [0, tasks); thread is in [0, size()). Returns when all
  // tasks are done.
  void parallelFor(int tasks, const std::function<void(int task, int thread)>& fn);

 private:
  void workerLoop(int thread);
  void runTasks(int thread);

  std::vector<std::thread> workers_;
  std::mutex callMutex_;  // one parallelFor at a time
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(int, int)>* fn_ = nullptr;
  int tasks_ = 0;
  std::atomic<int> nextTask_{0};
  int generation_ = 0;
  int busyWorkers_ = 0;
  bool stopping_ = false;
};

// The process-wide pool: MAMMO_NATIVE_THREADS threads, or one per CPU this process may run on.
ThreadPool& pool();

}  // namespace nk
