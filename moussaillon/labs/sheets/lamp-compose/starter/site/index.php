<?php
// Le petit carnet du TP : chaque visite avec ?note=... ajoute une ligne dans MariaDB,
// et la page affiche tout ce que la base garde. Le serveur s'appelle "db" : c'est le nom
// du service dans compose.yaml, que le réseau du projet résout.
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
header('Content-Type: text/plain; charset=utf-8');
try {
    $base = new mysqli('db', getenv('DB_USER'), getenv('DB_PASSWORD'), getenv('DB_NAME'));
} catch (mysqli_sql_exception $e) {
    http_response_code(503);
    echo "Pas de base : " . $e->getMessage() . "\n";
    exit;
}
$base->query('CREATE TABLE IF NOT EXISTS carnet (id INT AUTO_INCREMENT PRIMARY KEY, texte VARCHAR(80))');
if (isset($_GET['note']) && $_GET['note'] !== '') {
    $ajout = $base->prepare('INSERT INTO carnet (texte) VALUES (?)');
    $texte = substr($_GET['note'], 0, 80);
    $ajout->bind_param('s', $texte);
    $ajout->execute();
}
echo "Carnet lu dans MariaDB " . $base->server_info . " :\n";
foreach ($base->query('SELECT id, texte FROM carnet ORDER BY id') as $ligne) {
    echo "- " . $ligne['id'] . " " . $ligne['texte'] . "\n";
}
