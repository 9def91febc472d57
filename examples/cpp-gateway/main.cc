// The C++ gateway example's run against a live ticketd: seals a batch of IKE SA states, resumes
// them concurrently through the coalescer, then provokes every outcome a client can cause and
// checks it; also writes and opens ticket files for the interop check with the Java client.
// Exit status 1 on any unexpected answer, so CI fails when the example does.
#include <google/protobuf/util/message_differencer.h>

#include "ticket_gateway.h"

namespace {

const char kUsage[] =
    "usage: cpp-gateway [--target HOST:PORT] [--ca PEM [--cert PEM --key PEM] [--authority NAME]]\n"
    "                   [--items N] [--batch N] [--max-attempts N] [--expect-pushback]\n"
    "                   [--write-tickets FILE N | --open-tickets FILE]\n"
    "  --target          ticketd address (default 127.0.0.1:50051)\n"
    "  --ca              CA of the server certificate: TLS; with --cert/--key: mutual TLS\n"
    "  --authority       name expected in the server certificate, if not the target host\n"
    "  --items, --batch  states sealed and resumed (default 64), coalescer flush size (default 16)\n"
    "  --max-attempts    attempts per shed batch (default 5)\n"
    "  --expect-pushback also require that concurrent full batches were shed and retried\n"
    "  --write-tickets   only seal N states; write 'ticket-hex state-hex' lines to FILE\n"
    "  --open-tickets    only open the tickets of such a FILE; each must be OK with its state\n"
    "Without --write-tickets/--open-tickets it runs every outcome check. Exit 1 on any failure.\n";

std::string Hex(const std::string& b) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (unsigned char c : b) s += d[c >> 4], s += d[c & 15];
  return s;
}
std::string Unhex(const std::string& h) {
  std::string b;
  for (size_t i = 0; i + 1 < h.size(); i += 2) b += static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16));
  return b;
}

tov1::IkeSaState State(int i) {
  tov1::IkeSaState s;
  std::string spi(8, '\0');
  for (int k = 0; k < 8; ++k) spi[7 - k] = static_cast<char>((i >> (8 * k)) & 0xff);
  s.set_spi_i(spi);
  s.set_spi_r("cpp-resp");
  s.set_auth_method(14);  // digital signature
  s.set_eap(i % 2 == 1);
  s.set_sk_d(std::string(32, static_cast<char>('A' + i % 26)));
  s.set_id_i(std::string("\x03\0\0\0", 4) + "user" + std::to_string(i) + "@example.net");
  s.set_id_r(std::string("\x02\0\0\0", 4) + "vpn.example.net");
  s.set_sa_r(std::string(44, '\x01'));
  s.set_ext("c++");
  return s;
}

struct Run {
  std::unique_ptr<tov1::TicketService::Stub> stub;
  RetryPolicy policy;
  size_t batch = 16;
  int failed = 0;

  void Expect(const std::string& what, const std::string& got, const std::string& want) {
    bool ok = got == want;
    failed += !ok;
    std::printf("%s %s: %s%s\n", ok ? "ok  " : "FAIL", what.c_str(), got.c_str(),
                ok ? "" : (" (expected " + want + ")").c_str());
    std::fflush(stdout);
  }

  std::vector<tov1::SealResult> Seal(const std::vector<tov1::IkeSaState>& states, uint32_t lifetime = 3600) {
    std::vector<tov1::SealResult> out;
    for (size_t start = 0; start < states.size(); start += batch) {  // batches of the server's max
      tov1::SealRequest req;
      req.set_realm("default");
      for (size_t i = start; i < states.size() && i < start + batch; ++i) {
        auto* item = req.add_items();
        item->set_ref(i);
        *item->mutable_state() = states[i];
        item->set_lifetime_seconds(lifetime);
      }
      tov1::SealResponse resp;
      auto call = [this](grpc::ClientContext* c, const tov1::SealRequest& q, tov1::SealResponse* r) {
        return stub->Seal(c, q, r);
      };
      grpc::Status s = CallWithPushback(policy, call, req, &resp);
      if (!s.ok()) throw std::runtime_error("Seal failed: " + s.error_message());
      for (auto& r : resp.results()) out.push_back(r);
    }
    return out;
  }

  std::string OpenOne(const std::string& ticket, bool peek = false, const std::string& realm = "default") {
    Coalescer one(stub.get(), &policy, realm, 1, std::chrono::microseconds(0), 1);
    return tov1::Outcome_Name(one.Open(ticket, peek).get().outcome());
  }
};

int Checks(Run& run, int items, bool expect_pushback) {
  std::vector<tov1::IkeSaState> states;
  for (int i = 0; i < items; ++i) states.push_back(State(i));
  auto sealed = run.Seal(states);
  run.Expect("sealed a batch", std::to_string(sealed.size()), std::to_string(items));

  {  // A reconnect storm in miniature: one IKE worker thread per resume, coalesced into batches.
    Coalescer co(run.stub.get(), &run.policy, "default", run.batch, std::chrono::microseconds(2000));
    std::vector<std::thread> workers;
    std::atomic<int> resumed{0};
    for (int i = 0; i < items; ++i) {
      workers.emplace_back([&, i] {
        try {
          tov1::OpenResult r = co.Open(sealed[i].ticket()).get();
          bool same = google::protobuf::util::MessageDifferencer::Equals(r.state(), states[i]);
          if (ResponderAction(r) == Action::kResume && same) ++resumed;
        } catch (const std::exception&) {
          // The call failed as a whole (deadline, overload after every attempt, unreachable):
          // the responder answers with a full IKE_SA_INIT; never block the IKE exchange on us.
        }
      });
    }
    for (auto& w : workers) w.join();
    run.Expect("concurrent resumes -> resume", std::to_string(resumed.load()), std::to_string(items));
  }
  run.Expect("second open -> full IKE_SA_INIT", run.OpenOne(sealed[0].ticket()), "REPLAYED");

  std::string fresh = run.Seal({State(1000)})[0].ticket();
  run.Expect("peek", run.OpenOne(fresh, true), "OK");
  run.Expect("peek again (not consumed)", run.OpenOne(fresh, true), "OK");
  run.Expect("open after peeks", run.OpenOne(fresh), "OK");
  std::string t = fresh;
  t.back() ^= 1;
  run.Expect("tampered tag", run.OpenOne(t), "AUTH_FAILED");
  run.Expect("truncated to 40 bytes", run.OpenOne(fresh.substr(0, 40)), "MALFORMED");
  run.Expect("format_version 3", run.OpenOne("\x03" + fresh.substr(1)), "UNSUPPORTED_VERSION");
  run.Expect("unknown master id", run.OpenOne(fresh.substr(0, 4) + "\xff\xff" + fresh.substr(6)), "UNKNOWN_KEY");
  run.Expect("realm not in the key ring", run.OpenOne(fresh, false, "no-such-realm"), "UNKNOWN_KEY");
  auto brief = run.Seal({State(2000)}, 1)[0];
  std::this_thread::sleep_until(std::chrono::system_clock::time_point(std::chrono::seconds(brief.expires_at())) +
                                std::chrono::milliseconds(50));
  run.Expect("lifetime 1 s, opened after expires_at", run.OpenOne(brief.ticket()), "EXPIRED");

  if (expect_pushback) {  // full batches at once against a server whose room is one batch
    int sent = 0;
    std::atomic<int> ok{0};
    run.policy.pushbacks = 0;  // count this burst's retries only
    for (int wave = 0; wave < 20 && (wave == 0 || run.policy.pushbacks == 0); ++wave) {
      std::vector<tov1::IkeSaState> more(run.batch * 4, State(3000 + wave));
      auto tickets = run.Seal(more);
      sent += tickets.size();
      Coalescer co(run.stub.get(), &run.policy, "default", run.batch, std::chrono::microseconds(0), 4);
      std::vector<std::future<tov1::OpenResult>> futures;
      for (auto& tk : tickets) futures.push_back(co.Open(tk.ticket()));
      for (auto& f : futures) {
        try {
          ok += f.get().outcome() == tov1::OK;
        } catch (const std::exception&) {
        }
      }
    }
    run.Expect("shed batches retried after grpc-retry-pushback-ms", run.policy.pushbacks > 0 ? "yes" : "no", "yes");
    run.Expect("their resumes OK", std::to_string(ok.load()), std::to_string(sent));
  }
  return run.failed;
}

}  // namespace

int main(int argc, char** argv) {
  std::string target = "127.0.0.1:50051", ca, cert, key, authority, write_file, open_file;
  int items = 64, write_count = 0;
  bool expect_pushback = false;
  Run run;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    try {
      if (a == "--target") target = next();
      else if (a == "--ca") ca = next();
      else if (a == "--cert") cert = next();
      else if (a == "--key") key = next();
      else if (a == "--authority") authority = next();
      else if (a == "--items") items = std::stoi(next());
      else if (a == "--batch") run.batch = std::stoul(next());
      else if (a == "--max-attempts") run.policy.max_attempts = std::stoi(next());
      else if (a == "--expect-pushback") expect_pushback = true;
      else if (a == "--write-tickets") write_file = next(), write_count = std::stoi(next());
      else if (a == "--open-tickets") open_file = next();
      else if (a == "--help" || a == "-h") return std::fputs(kUsage, stdout), 0;
      else throw std::invalid_argument("unknown argument " + a);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "cpp-gateway: %s\n%s", e.what(), kUsage);
      return 2;
    }
  }
  try {
    run.stub = tov1::TicketService::NewStub(Connect(target, ca, cert, key, authority));
    if (!write_file.empty()) {  // for the Java client to open
      std::vector<tov1::IkeSaState> states;
      for (int i = 0; i < write_count; ++i) states.push_back(State(5000 + i));
      auto sealed = run.Seal(states);
      std::ofstream out(write_file);
      for (size_t i = 0; i < sealed.size(); ++i) out << Hex(sealed[i].ticket()) << ' ' << Hex(states[i].SerializeAsString()) << '\n';
      run.Expect("sealed for the Java client", std::to_string(sealed.size()), std::to_string(write_count));
    } else if (!open_file.empty()) {  // sealed by the Java client
      std::ifstream in(open_file);
      std::string ticket, state;
      std::vector<std::pair<std::future<tov1::OpenResult>, tov1::IkeSaState>> opened;
      Coalescer co(run.stub.get(), &run.policy, "default", run.batch, std::chrono::microseconds(2000));
      while (in >> ticket >> state) {
        opened.emplace_back(co.Open(Unhex(ticket)), tov1::IkeSaState());
        opened.back().second.ParseFromString(Unhex(state));
      }
      size_t n = opened.size(), good = 0;
      for (auto& [result, want] : opened) {
        tov1::OpenResult r = result.get();
        good += r.outcome() == tov1::OK && google::protobuf::util::MessageDifferencer::Equals(r.state(), want);
      }
      run.Expect("tickets sealed by the Java client opened OK with their state", std::to_string(good),
                 n ? std::to_string(n) : "at least one");
    } else {
      Checks(run, items, expect_pushback);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cpp-gateway: %s\n", e.what());
    return 1;
  }
  std::printf(run.failed ? "%d check(s) failed\n" : "all checks passed\n", run.failed);
  return run.failed ? 1 : 0;
}
