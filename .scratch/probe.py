import sys, time, datetime as dt
sys.path.insert(0, "bench")
from network import TODAY, prepare
prepare(30000, 1000000)
from django.db import transaction
from kithkin.models import Network, User, Membership
from kithkin.queries.digest import digest_for, network_digest
from kithkin.services.accounts import create_user
net = Network.objects.get(name__startswith="Bench")
bench = User.objects.get(username="bench")
def t(label, f, n=3):
    f()
    s = time.perf_counter(); c = time.process_time()
    for _ in range(n): f()
    print(f"{label:40} wall {(time.perf_counter()-s)/n*1000:7.1f} ms  cpu {(time.process_time()-c)/n*1000:7.1f} ms", flush=True)
t("digest bench", lambda: digest_for(bench, TODAY))
t("network_digest bench net", lambda: network_digest(net, TODAY))
with transaction.atomic():
    r = create_user(username="r0", full_name="R Zero", email="r0@example.org", time_zone="Europe/Paris")
    Membership.objects.create(user=r, network=net, role="viewer")
    t("in txn: digest bench", lambda: digest_for(bench, TODAY))
    t("in txn: digest reader", lambda: digest_for(r, TODAY))
    t("in txn: network_digest personal", lambda: network_digest(r.current_network, TODAY))
    transaction.set_rollback(True)
