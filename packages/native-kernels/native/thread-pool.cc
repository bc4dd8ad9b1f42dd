#include "thread-pool.h"

#include <sched.h>

#include <cstdlib>

namespace nk {

ThreadPool::ThreadPool(int threads) {
  for (int t = 1; t < threads; ++t) workers_.emplace_back([this, t] { workerLoop(t); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void ThreadPool::runTasks(int thread) {
  for (int task = nextTask_.fetch_add(1); task < tasks_; task = nextTask_.fetch_add(1)) (*fn_)(task, thread);
}

void ThreadPool::workerLoop(int thread) {
  int seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
    }
    runTasks(thread);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (--busyWorkers_ == 0) done_.notify_one();
    }
  }
}

void ThreadPool::parallelFor(int tasks, const std::function<void(int, int)>& fn) {
  if (tasks <= 0) return;
  std::lock_guard<std::mutex> call(callMutex_);
  if (tasks == 1 || workers_.empty()) {
    for (int task = 0; task < tasks; ++task) fn(task, 0);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    fn_ = &fn;
    tasks_ = tasks;
    nextTask_.store(0);
    busyWorkers_ = static_cast<int>(workers_.size());
    ++generation_;
  }
  wake_.notify_all();
  runTasks(0);
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return busyWorkers_ == 0; });
  fn_ = nullptr;
}

static int defaultThreads() {
  if (const char* env = std::getenv("MAMMO_NATIVE_THREADS")) {
    int n = std::atoi(env);
    if (n >= 1 && n <= 256) return n;
  }
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n >= 1) return n;
  }
  unsigned n = std::thread::hardware_concurrency();
  return n >= 1 ? static_cast<int>(n) : 1;
}

ThreadPool& pool() {
  static ThreadPool instance(defaultThreads());
  return instance;
}

}  // namespace nk
