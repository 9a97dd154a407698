<?php
// For the health check: answers "ok" as long as Apache and PHP answer.
header('Content-Type: text/plain');
echo 'ok';
