using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BundleSeatsCancelledAlone : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "BundleShare",
                table: "MembershipRegistrations",
                type: "TEXT",
                precision: 12,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "CancelsBundleSeatAlone",
                table: "MembershipPendingRefunds",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BundleShare",
                table: "MembershipRegistrations");

            migrationBuilder.DropColumn(
                name: "CancelsBundleSeatAlone",
                table: "MembershipPendingRefunds");
        }
    }
}
