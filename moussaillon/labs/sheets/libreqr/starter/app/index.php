<?php
// etiquettes: turns a short text into a printable SVG label. Written for the Moussaillon
// course as a stand-in for LibreQR: a small PHP application that needs no extension.
// The footer comes from the environment (ETIQUETTES_PIED), like LibreQR's LIBREQR_CUSTOM_TEXT.
$texte = trim((string) ($_GET['texte'] ?? 'Docker'));
if ($texte === '') {
    $texte = 'Docker';
}
$texte = substr($texte, 0, 40);
$pied = getenv('ETIQUETTES_PIED') ?: 'Étiquettes faites maison';
$grand = strtoupper($texte);
$largeur = 40 + 24 * strlen($grand);
$echappe = fn (string $s): string => htmlspecialchars($s, ENT_QUOTES, 'UTF-8');
header('Content-Type: text/html; charset=utf-8');
?>
<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Étiquettes</title></head>
<body>
  <form method="get">
    <input name="texte" value="<?= $echappe($texte) ?>" maxlength="40">
    <button>Fabriquer</button>
  </form>
  <svg xmlns="http://www.w3.org/2000/svg" width="<?= $largeur ?>" height="80">
    <rect x="2" y="2" width="<?= $largeur - 4 ?>" height="76" rx="12" fill="#fff" stroke="#1d63ed" stroke-width="4"/>
    <text x="20" y="52" font-family="sans-serif" font-size="36"><?= $echappe($grand) ?></text>
  </svg>
  <p>Étiquette de <?= strlen($texte) ?> caractères, fabriquée par PHP <?= PHP_MAJOR_VERSION ?>.<?= PHP_MINOR_VERSION ?>.</p>
  <footer><?= $echappe($pied) ?></footer>
</body>
</html>
