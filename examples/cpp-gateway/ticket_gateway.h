// A C++ IKEv2 gateway's side of Ticket Offload, on stock gRPC (Debian's libgrpc++-dev) and stubs
// generated from ticket_service.proto at build time. This header is what a gateway copies:
// what the responder does with each outcome, a deadline on every call, RESOURCE_EXHAUSTED retried
// after the server's pushback with a stable attempt_id, and a coalescer that turns concurrent
// resumes into batch RPCs. main.cc runs it against a live ticketd and checks every outcome a
// client can provoke. See README.md.
#pragma once
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ticketoffload/v1/ticket_service.grpc.pb.h"

namespace tov1 = ticketoffload::v1;
using Clock = std::chrono::steady_clock;

// ---- What the IKEv2 responder does with an Open outcome (RFC 5723 section 4.3.1) --------------
// Only OK resumes: take SK_d, SPIs, IDs and SAr from the returned state, compute
// SKEYSEED = prf(SK_d(old), "Resumption" | Ni | Nr) and answer IKE_SESSION_RESUME with new SPIs.
// Everything else answers N(TICKET_NACK); the client then starts a full IKE_SA_INIT + IKE_AUTH:
//   EXPIRED             the ticket outlived its lifetime: a new SA is due anyway.
//   REPLAYED            consumed before: a second resumption of one ticket may be an attacker's.
//   AUTH_FAILED         forged, corrupted, or sealed in another realm: never trust its content.
//   UNKNOWN_KEY         its master was retired or its epoch left the window (key rotation).
//   MALFORMED           not a ticket of ours (wrong length, junk).
//   UNSUPPORTED_VERSION a format this service does not speak (e.g. after a downgrade).
//   REVOKED             the identity or the ticket was revoked (account disabled, device lost):
//                       a full exchange re-authenticates, which is the point.
//   STATE_NOT_FOUND     a ticket by reference whose state the store no longer holds.
//   Any value this build does not know yet: full exchange, never resume.
enum class Action { kResume, kFullIkeSaInit };
inline Action ResponderAction(const tov1::OpenResult& r) {
  return r.outcome() == tov1::OK ? Action::kResume : Action::kFullIkeSaInit;
}

// ---- One RPC with a deadline, retried only when the server shed it and said when -------------
struct RetryPolicy {
  std::chrono::milliseconds deadline{5000};  // per attempt (the Java client's default); past it the client gave up anyway
  int max_attempts = 5;
  std::atomic<int> pushbacks{0};  // retries the server asked for (reported by the check run)
};

template <typename Req, typename Resp, typename Call>
grpc::Status CallWithPushback(RetryPolicy& p, Call call, const Req& req, Resp* resp) {
  thread_local std::mt19937 rng{std::random_device{}()};
  for (int attempt = 1;; ++attempt) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + p.deadline);
    grpc::Status s = call(&ctx, req, resp);
    if (s.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED || attempt == p.max_attempts) return s;
    // RESOURCE_EXHAUSTED without grpc-retry-pushback-ms (a message over --max-request-bytes) is not
    // overload: the same request would fail again, so it is not retried.
    const auto& trailers = ctx.GetServerTrailingMetadata();
    auto it = trailers.find("grpc-retry-pushback-ms");
    if (it == trailers.end()) return s;
    std::string value(it->second.data(), it->second.size());
    char* end = nullptr;
    long ms = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || ms < 0) return s;  // gRPC: a negative pushback means "do not retry"
    ++p.pushbacks;
    std::this_thread::sleep_for(std::chrono::milliseconds(ms + std::uniform_int_distribution<long>(0, ms / 2)(rng)));
  }
}

// ---- The coalescer: IKE worker threads call Open(ticket) and wait on a future ------------------
// Each of `senders` threads takes up to max_items waiting tickets, as soon as that many wait or the
// oldest has lingered for `linger`, and sends them as one Open RPC: at most `senders` batches are in
// flight, and a slow batch does not hold the others.
class Coalescer {
 public:
  Coalescer(tov1::TicketService::Stub* stub, RetryPolicy* policy, std::string realm, size_t max_items,
            std::chrono::microseconds linger, int senders = 4)
      : stub_(stub), policy_(policy), realm_(std::move(realm)), max_items_(max_items), linger_(linger) {
    for (int i = 0; i < senders; ++i) senders_.emplace_back([this] { Run(); });
  }
  ~Coalescer() {  // sends what is queued, then stops
    { std::lock_guard<std::mutex> l(mu_); closed_ = true; }
    cv_.notify_all();
    for (auto& t : senders_) t.join();
  }

  std::future<tov1::OpenResult> Open(const std::string& ticket, bool peek = false) {
    Pending p;
    p.item.set_ticket(ticket);
    p.item.set_peek(peek);
    // attempt_id: random per item, set once, so every retry of this item carries the same one
    // (a consume whose answer was lost answers OK again to it, instead of REPLAYED).
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::string id(16, '\0');
    for (auto& c : id) c = static_cast<char>(rng());
    p.item.set_attempt_id(id);
    p.queued_at = Clock::now();
    auto f = p.done.get_future();
    { std::lock_guard<std::mutex> l(mu_); queue_.push_back(std::move(p)); }
    cv_.notify_all();
    return f;
  }

 private:
  struct Pending { tov1::OpenItem item; std::promise<tov1::OpenResult> done; Clock::time_point queued_at; };

  void Run() {
    for (;;) {
      std::vector<Pending> batch;
      {
        std::unique_lock<std::mutex> l(mu_);
        cv_.wait(l, [this] { return closed_ || !queue_.empty(); });
        if (queue_.empty()) return;  // closed and drained
        cv_.wait_until(l, queue_.front().queued_at + linger_,
                       [this] { return closed_ || queue_.empty() || queue_.size() >= max_items_; });
        while (!queue_.empty() && batch.size() < max_items_) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      if (!batch.empty()) Send(batch);
    }
  }

  void Send(std::vector<Pending>& batch) {
    tov1::OpenRequest req;
    req.set_realm(realm_);
    for (size_t i = 0; i < batch.size(); ++i) {
      tov1::OpenItem* item = req.add_items();
      *item = batch[i].item;
      item->set_ref(i);  // the index: results come back by ref
    }
    tov1::OpenResponse resp;
    auto call = [this](grpc::ClientContext* c, const tov1::OpenRequest& q, tov1::OpenResponse* r) {
      return stub_->Open(c, q, r);
    };
    grpc::Status s = CallWithPushback(*policy_, call, req, &resp);
    for (auto& r : *resp.mutable_results()) {
      if (s.ok() && r.ref() < batch.size()) batch[r.ref()].done.set_value(std::move(r));
    }
    if (!s.ok()) {  // the call failed as a whole: every waiting resume falls back to a full exchange
      for (auto& p : batch) p.done.set_exception(std::make_exception_ptr(std::runtime_error(s.error_message())));
    }
  }

  tov1::TicketService::Stub* stub_;
  RetryPolicy* policy_;
  const std::string realm_;
  const size_t max_items_;
  const std::chrono::microseconds linger_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool closed_ = false;
  std::vector<std::thread> senders_;  // last: they start after everything they use
};

// Plaintext without a CA; TLS with --ca; mutual TLS with --cert and --key as well.
inline std::shared_ptr<grpc::Channel> Connect(const std::string& target, const std::string& ca, const std::string& cert,
                                       const std::string& key, const std::string& authority) {
  if (ca.empty()) return grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  auto read = [](const std::string& path) {
    if (path.empty()) return std::string();
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = read(ca);
  tls.pem_cert_chain = read(cert);
  tls.pem_private_key = read(key);
  grpc::ChannelArguments args;
  if (!authority.empty()) args.SetSslTargetNameOverride(authority);
  return grpc::CreateCustomChannel(target, grpc::SslCredentials(tls), args);
}
