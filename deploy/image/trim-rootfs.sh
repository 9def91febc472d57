#!/usr/bin/env bash
# Trims the image's base, run by bin/build-image on the build host with $1 = the root file
# system of the extracted packages (libc6, libssl3, zlib1g, ca-certificates, tzdata and what apt
# pulled in with them). Keeps the shared libraries, the CA bundle and the time zones; drops every
# program (no shell, no package manager: nothing to run but the service), docs but the copyright
# files, locales and iconv modules (the JVM uses neither), and the package databases.
set -euo pipefail
r="$1"
cd "$r"
# Copyright files stay (they are the packages' licences); everything else in usr/share/doc goes.
find usr/share/doc -type f ! -name copyright -delete 2>/dev/null || true
find usr/share/doc -type l -delete 2>/dev/null || true
rm -rf usr/share/man usr/share/info usr/share/locale usr/share/lintian usr/share/bash-completion \
  usr/share/pixmaps usr/share/perl5 usr/share/debconf usr/share/menu usr/share/common-licenses \
  usr/share/zoneinfo/right usr/lib/x86_64-linux-gnu/gconv usr/lib/x86_64-linux-gnu/perl* \
  usr/bin usr/sbin bin sbin usr/lib/ssl/misc usr/libexec \
  var/lib/dpkg var/lib/apt var/cache var/log var/lib/ucf etc/apt etc/dpkg etc/debconf.conf \
  etc/ca-certificates.conf etc/ca-certificates etc/fstab etc/hostname etc/resolv.conf etc/ld.so.cache etc/alternatives etc/cron.* etc/logrotate.d etc/profile.d
find dev -mindepth 1 -delete
# The CA bundle update-ca-certificates would have made (no maintainer scripts ran).
mkdir -p etc/ssl/certs
find usr/share/ca-certificates -name '*.crt' | LC_ALL=C sort | xargs cat > etc/ssl/certs/ca-certificates.crt
# Users: root, and ticketd (uid/gid 10001) that the service runs as.
printf 'root:x:0:0:root:/root:/nonexistent\nticketd:x:10001:10001:ticketd:/var/lib/ticketd:/nonexistent\n' > etc/passwd
printf 'root:x:0:\nticketd:x:10001:\n' > etc/group
printf 'hosts: files dns\n' > etc/nsswitch.conf
# The loader cache, so that dlopen("libcrypto.so.3") finds Debian's multiarch directory.
printf 'include /etc/ld.so.conf.d/*.conf\n' > etc/ld.so.conf
ldconfig -r "$r"
# Mount points and the service's home: the root file system is read-only at run time.
install -d -m 1777 tmp
install -d -m 0700 -o 10001 -g 10001 var/lib/ticketd
install -d -m 0755 etc/ticketd/keyring
