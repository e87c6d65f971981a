"""Cost of authentication per request, against a running api-service.

Start one (see README: run-local.sh, or the api-service jar alone) with CCC_ADMIN_PASSWORD set,
then: python3 bench/auth_overhead.py http://127.0.0.1:8080 <admin password>
It logs in, creates a personal access token, and times GET /api/me (one user lookup plus the
credential check) with each kind of token, login (bcrypt), and refresh (rotation).
"""
import sys
from urllib.parse import urlparse
import http.client, json, time, statistics
def req(conn, method, path, body=None, token=None):
    h={'Content-Type':'application/json'}
    if token: h['Authorization']='Bearer '+token
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    r=conn.getresponse(); data=r.read(); return r.status, data
url=urlparse(sys.argv[1]); password=sys.argv[2]
c=http.client.HTTPConnection(url.hostname, url.port)
t=time.perf_counter(); s,d=req(c,'POST','/api/auth/login',{'username':'admin','password':password}); login_ms=(time.perf_counter()-t)*1000
tok=json.loads(d); access=tok['accessToken']; refresh=tok['refreshToken']
s,d=req(c,'POST','/api/me/tokens',{'name':'bench'},access); pat=json.loads(d)['token']  # one per run; revoke it after
def measure(name, token, n=3000):
    for _ in range(300): req(c,'GET','/api/me',token=token)
    lat=[]
    for _ in range(n):
        t=time.perf_counter(); s,_=req(c,'GET','/api/me',token=token); lat.append((time.perf_counter()-t)*1e6); assert s==200
    lat.sort(); print(f"{name}: GET /api/me p50 {lat[len(lat)//2]:.0f} us, p99 {lat[int(len(lat)*0.99)]:.0f} us, n={n}")
measure('access JWT', access); measure('personal access token', pat)
lat=[]
for _ in range(5):
    t=time.perf_counter(); s,d=req(c,'POST','/api/auth/login',{'username':'admin','password':password}); lat.append((time.perf_counter()-t)*1000)
print(f"login (bcrypt cost 12): first {login_ms:.0f} ms, then median {statistics.median(lat):.0f} ms")
lat=[]
for _ in range(200):
    t=time.perf_counter(); s,d=req(c,'POST','/api/auth/refresh',{'refreshToken':refresh}); lat.append((time.perf_counter()-t)*1000); assert s==200, d; refresh=json.loads(d)['refreshToken']
lat.sort(); print(f"refresh (rotation, 2 writes): p50 {lat[100]:.1f} ms, p99 {lat[197]:.1f} ms")
