#!/bin/sh
# tapset-netdev.stp's workload: one 333-byte UDP datagram to 127.0.0.1 port 9
# (nothing listens; loopback only). The 6.1 guest's lo starts down.
ip link set lo up 2>/dev/null || busybox ip link set lo up
exec /usr/bin/python3 -c "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x' * 333, ('127.0.0.1', 9))"
